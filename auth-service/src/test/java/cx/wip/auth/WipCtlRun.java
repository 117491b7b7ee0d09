package cx.wip.auth;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cx.wip.wipctl.WipCtl;

/** One wipctl command line run through its real entry point; exit code and both outputs. */
public record WipCtlRun(int exitCode, String out, String err) {
    private static final Pattern TOKEN = Pattern.compile("\\bwip-[a-z2-7]{10}-[a-z2-7]{40}\\b");

    /** @param adminTokenFile the admin token file auth-service wrote ({@link AuthFixture#adminTokenFile}) */
    public static WipCtlRun run(String admin, Path adminTokenFile, String... args) {
        final List<String> all = new ArrayList<>(List.of("--admin", admin, "--admin-token-file",
                                                         adminTokenFile.toString(), "--timeout-ms", "30000"));
        all.addAll(List.of(args));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = WipCtl.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new WipCtlRun(code, out.toString(), err.toString());
    }

    /** The token printed in the output. */
    public String token() {
        final Matcher matcher = TOKEN.matcher(out);
        if (!matcher.find()) {
            throw new AssertionError("no token in wipctl output:\n" + out);
        }
        return matcher.group();
    }

    /** How many times the token text appears in the output. */
    public long tokenMentions() {
        return TOKEN.matcher(out).results().count();
    }
}
