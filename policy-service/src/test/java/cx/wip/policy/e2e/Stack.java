package cx.wip.policy.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import cx.wip.gateway.GatewayConfig;
import cx.wip.gateway.GatewayServer;
import cx.wip.gateway.endpoint.StaticEndpointResolver;
import cx.wip.gateway.identity.Tenant;
import cx.wip.gateway.review.PolicyReviewer;
import cx.wip.policy.PolicyServer;

/**
 * The real thing, in-process: policy-service on a free port, the gateway on a free port in front of the host's
 * dockerd, reviewing through {@link PolicyReviewer} (with quotas read from the daemon) and redacting answers with its
 * {@link cx.wip.gateway.review.Redactor}, one tenant on a plan of
 * {@code e2e-policy.yaml}. Clients are the real docker CLI and docker-compose.
 */
final class Stack implements AutoCloseable {
    static final String DAEMON = "unix:///var/run/docker.sock";
    static final String IMAGE = "wip-test/busybox:latest";
    /** CLI 28 where the machine has it, else Debian's 20.10 ({@code -Dwip.docker.cli=…} chooses). */
    static final String CLI = System.getProperty("wip.docker.cli",
            Files.isExecutable(Path.of("/usr/local/bin/docker")) ? "/usr/local/bin/docker" : "/usr/bin/docker");

    private final PolicyServer policy;
    private final PolicyReviewer reviewer;
    private final GatewayServer gateway;
    private final Path dockerConfig;

    private Stack(boolean withPolicy, String plan) throws IOException {
        Tenant tenant = new Tenant("policy-e2e", "policy-e2e", plan);
        Config policyConfig = Config.just(ConfigSources.classpath("e2e-policy.yaml").build());
        this.policy = withPolicy ? PolicyServer.start(policyConfig.get("policy")) : null;
        int policyPort = withPolicy ? policy.port() : closedPort();
        Config root = Config.just(ConfigSources.create(Map.of(
                "gateway.port", "0",
                "gateway.admin-port", "0",
                "gateway.daemon", DAEMON,
                "gateway.policy.address", "127.0.0.1:" + policyPort,
                "gateway.policy.timeout", "PT10S")));
        GatewayConfig gatewayConfig = GatewayConfig.create(root.get("gateway"));
        StaticEndpointResolver endpoints = new StaticEndpointResolver(gatewayConfig.daemon());
        this.reviewer = PolicyReviewer.create(root);
        this.gateway = GatewayServer.builder().config(gatewayConfig).endpoints(endpoints)
                .authenticator(identity -> tenant).reviewer(reviewer).redactor(reviewer.redactor()).build().start();
        this.dockerConfig = Files.createTempDirectory("wip-policy-docker-config");
    }

    /** The tenant is on plan {@code e2e} (256 MiB, 1 CPU, 128 pids a container). */
    static Stack start() throws IOException {
        return new Stack(true, "e2e");
    }

    /** The tenant is on plan {@code tiny} (2 containers). */
    static Stack startOnTinyPlan() throws IOException {
        return new Stack(true, "tiny");
    }

    /** The tenant is on the shipped plan {@code free} (1 GiB engine, 10 containers not exited). */
    static Stack startOnFreePlan() throws IOException {
        return new Stack(true, "free");
    }

    /** A gateway whose policy-service is not there. */
    static Stack withoutPolicy() throws IOException {
        return new Stack(false, "e2e");
    }

    String host() {
        return "tcp://127.0.0.1:" + gateway.port();
    }

    int port() {
        return gateway.port();
    }

    /** Runs the docker CLI against the gateway. */
    Result docker(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CLI, "-H", host()));
        command.addAll(List.of(args));
        return run(workDir, command);
    }

    /** Runs docker-compose 1.29 against the gateway. */
    Result compose(Path workDir, String project, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--ansi", "never", "-p", project));
        command.addAll(List.of(args));
        return run(workDir, command);
    }

    /** Runs the docker CLI straight against the daemon (cleanup and checks, never under test). */
    static Result host(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CLI, "-H", DAEMON));
        command.addAll(List.of(args));
        return run(null, command, Map.of());
    }

    /** Removes a compose project's containers, networks and volumes straight on the daemon. */
    static void removeProject(String project) throws IOException, InterruptedException {
        String label = "label=com.docker.compose.project=" + project;
        for (String[] kind : new String[][] {{"container", "ls", "-aq"}, {"network", "ls", "-q"},
                {"volume", "ls", "-q"}}) {
            String ids = host(kind[0], kind[1], kind[2], "--filter", label).output().trim();
            if (!ids.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of(kind[0], "rm"));
                if (kind[0].equals("container")) {
                    rm.add("-f");
                }
                rm.addAll(List.of(ids.split("\\s+")));
                host(rm.toArray(String[]::new));
            }
        }
    }

    private Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        return run(workDir, command, Map.of("DOCKER_HOST", host(), "DOCKER_CONFIG", dockerConfig.toString(),
                "DOCKER_BUILDKIT", "0", "COMPOSE_DOCKER_CLI_BUILD", "0"));
    }

    private static Result run(Path workDir, List<String> command, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().remove("DOCKER_CONTEXT");
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(process.exitValue(), output.join());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static int closedPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        gateway.close();
        reviewer.close();
        if (policy != null) {
            policy.close();
        }
    }

    /** What a command printed (stdout and stderr together) and how it exited. */
    record Result(int exit, String output) {
    }
}
