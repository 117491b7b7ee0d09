package cx.wip.wipctl;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;

import cx.wip.proto.vm.v1.StatusRequest;
import cx.wip.proto.vm.v1.TenantRecord;
import cx.wip.proto.vm.v1.VmServiceGrpc;
import cx.wip.telemetry.GrpcChannels;
import cx.wip.telemetry.GrpcClientConfig;

/**
 * {@code wipctl}: the operator CLI. Talks to auth-service's admin API (loopback, port 9111 by default), sending the
 * admin token from the file auth-service wrote.
 */
@Command(name = "wipctl",
         mixinStandardHelpOptions = true,
         version = "wipctl 0.1.0",
         description = "Operate wip: tenants and their credentials.",
         subcommands = {TenantCommands.class, CredentialCommands.class},
         footer = {"", "Exit codes: 0 ok, 2 invalid input, 3 not found, 4 already exists, "
                 + "69 auth-service unreachable, 77 admin token missing or not accepted, 1 other failure."})
public final class WipCtl implements Runnable {
    /** The user agent of wipctl's gRPC calls. */
    static final String USER_AGENT = "wipctl";

    @Option(names = "--admin", paramLabel = "HOST:PORT",
            defaultValue = "${env:WIP_AUTH_ADMIN:-127.0.0.1:9111}",
            description = "auth-service admin API (default: $WIP_AUTH_ADMIN or ${DEFAULT-VALUE})")
    String admin;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            defaultValue = "${env:WIP_ADMIN_TOKEN_FILE:-" + AdminToken.DEFAULT_FILE + "}",
            description = "the admin token auth-service wrote, its auth.admin.token-file "
                    + "(default: $WIP_ADMIN_TOKEN_FILE or ${DEFAULT-VALUE})")
    Path adminTokenFile;

    @Option(names = "--vm", paramLabel = "HOST:PORT", defaultValue = "${env:WIP_VM:-127.0.0.1:9102}",
            description = "vm-service, asked whether a tenant's engine is awake (default: $WIP_VM or ${DEFAULT-VALUE})")
    String vm;

    @Option(names = "--timeout-ms", defaultValue = "5000", description = "deadline per call (default ${DEFAULT-VALUE})")
    long timeoutMillis;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final AdminClient.Connector connector;

    WipCtl(AdminClient.Connector connector) {
        this.connector = connector;
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line against the real admin API; returns the exit code (what {@link #main} exits with). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, AdminClient::connect);
    }

    /** Runs one command line; returns the exit code. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, AdminClient.Connector connector) {
        return new CommandLine(new WipCtl(connector))
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(new Failures())
                .execute(args);
    }

    AdminClient connect() {
        return connector.connect(admin, AdminToken.read(adminTokenFile), timeoutMillis);
    }

    /** Whether the tenant's engine is awake, why and when it sleeps, as vm-service says; or why that is unknown. */
    String engineState(String tenantId) {
        GrpcClientConfig vmClient = GrpcClientConfig.of(vm, Duration.ofMillis(Math.min(timeoutMillis, 3000)));
        ManagedChannel channel = GrpcChannels.open(USER_AGENT, vmClient);
        try {
            TenantRecord record = VmServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(vmClient.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .status(StatusRequest.newBuilder().setTenantId(tenantId).build()).getRecord();
            return record.getWakefulness().getSummary().isEmpty() ? "unknown (vm-service at " + vm + " does not say)"
                    : record.getWakefulness().getSummary();
        } catch (StatusRuntimeException e) {
            return "unknown (vm-service at " + vm + " did not answer: " + e.getStatus().getCode() + ")";
        } finally {
            GrpcChannels.close(channel, Duration.ZERO);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
