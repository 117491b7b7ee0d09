package cx.wip.wipctl;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import cx.wip.proto.auth.v1.CredentialInfo;
import cx.wip.proto.auth.v1.RevokeCredentialRequest;
import cx.wip.proto.auth.v1.TenantInfo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code wipctl credential issue|list|revoke}. */
@Command(name = "credential", mixinStandardHelpOptions = true, description = "Issue, list and revoke credentials.")
final class CredentialCommands {
    /** Kinds an operator can issue. */
    enum Kind { token, certificate }

    @ParentCommand
    WipCtl root;

    @Spec
    CommandSpec spec;

    @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issue a token or a client certificate.")
    int issue(@Parameters(paramLabel = "TENANT", description = "id or slug") String tenant,
              @Option(names = "--kind", defaultValue = "token", description = "token or certificate (default ${DEFAULT-VALUE})") Kind kind,
              @Option(names = "--label", defaultValue = "", description = "a note for operators") String label,
              @Option(names = "--out", paramLabel = "DIR",
                      description = "bundle directory for certificates (default .wip/tenants/SLUG)") Path out,
              @Mixin GatewayOptions gateway) {
        final PrintWriter stdout = spec.commandLine().getOut();
        try (AdminClient client = root.connect()) {
            final TenantInfo t = client.stub().getTenant(TenantCommands.ref(tenant));
            final String slug = t.getTenant().getSlug();
            switch (kind) {
                case token -> Issuing.token(client.stub(), t.getTenant().getId(), label, gateway, stdout);
                case certificate -> Issuing.certificate(client.stub(), t.getTenant().getId(), slug, label,
                                                        out != null ? out : Path.of(".wip", "tenants", slug), gateway, stdout);
            }
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a tenant's credentials (never secrets).")
    int list(@Parameters(paramLabel = "TENANT", description = "id or slug") String tenant) {
        try (AdminClient client = root.connect()) {
            printCredentials(client.stub().listCredentials(TenantCommands.ref(tenant)).getCredentialsList(),
                             spec.commandLine().getOut());
        }
        return 0;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
             description = "Revoke a credential: it stops working within seconds.")
    int revoke(@Parameters(paramLabel = "CREDENTIAL", description = "credential id (cr-...)") String credential) {
        try (AdminClient client = root.connect()) {
            final CredentialInfo c = client.stub().revokeCredential(
                    RevokeCredentialRequest.newBuilder().setCredentialId(credential).build());
            spec.commandLine().getOut().println("Credential " + c.getId() + " (" + c.getKind().name().toLowerCase()
                                                        + ", tenant " + c.getTenantId() + ") revoked.");
        }
        return 0;
    }

    static void printCredentials(List<CredentialInfo> credentials, PrintWriter out) {
        out.printf("  %-16s %-12s %-8s %-24s %s%n", "ID", "KIND", "STATE", "CREATED", "LABEL");
        for (CredentialInfo c : credentials) {
            out.printf("  %-16s %-12s %-8s %-24s %s%n", c.getId(), c.getKind().name().toLowerCase(),
                       c.getRevoked() ? "revoked" : "valid", Instant.ofEpochMilli(c.getCreatedEpochMillis()), c.getLabel());
        }
    }
}
