package cx.wip.wipctl;

import java.nio.file.Path;

/** The ready-to-paste lines a tenant needs; the single source for their wording. */
final class Snippets {
    private Snippets() {
    }

    static String dockerContext(String slug, String tlsGateway, Path bundle) {
        return "docker context create wip-" + slug + " --docker \"host=tcp://" + tlsGateway
                + ",ca=" + bundle.resolve(Bundle.CA) + ",cert=" + bundle.resolve(Bundle.CERT)
                + ",key=" + bundle.resolve(Bundle.KEY) + "\"";
    }

    static String httpHeaders(String token) {
        return "\"HttpHeaders\": { \"Authorization\": \"Bearer " + token + "\" }";
    }

    static String hostKey(String token, String domain, String plainGateway) {
        final int colon = plainGateway.lastIndexOf(':');
        final String port = colon < 0 ? "" : plainGateway.substring(colon);
        return "DOCKER_HOST=tcp://" + token + "." + domain + port;
    }
}
