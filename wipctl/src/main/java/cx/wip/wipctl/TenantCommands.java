package cx.wip.wipctl;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;

import cx.wip.proto.auth.v1.AuthAdminServiceGrpc.AuthAdminServiceBlockingStub;
import cx.wip.proto.auth.v1.CreateTenantRequest;
import cx.wip.proto.auth.v1.ListTenantsRequest;
import cx.wip.proto.auth.v1.TenantInfo;
import cx.wip.proto.auth.v1.SetTenantPlanRequest;
import cx.wip.proto.auth.v1.TenantRef;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code wipctl tenant create|list|show|plan|disable}. */
@Command(name = "tenant", mixinStandardHelpOptions = true,
         description = "Create, list, show, move to another plan and disable tenants.")
final class TenantCommands {
    @ParentCommand
    WipCtl root;

    @Spec
    CommandSpec spec;

    @Command(name = "create", mixinStandardHelpOptions = true,
             description = "Create a tenant with a token and a client-certificate bundle, and print how to use them.")
    int create(@Parameters(paramLabel = "SLUG", description = "public name, e.g. alice") String slug,
               @Option(names = "--plan", defaultValue = "free", description = "plan (default ${DEFAULT-VALUE})") String plan,
               @Option(names = "--out", paramLabel = "DIR",
                       description = "bundle directory (default .wip/tenants/SLUG)") Path out,
               @Mixin GatewayOptions gateway) {
        final PrintWriter stdout = spec.commandLine().getOut();
        try (AdminClient client = root.connect()) {
            final AuthAdminServiceBlockingStub admin = client.stub();
            final TenantInfo tenant = admin.createTenant(CreateTenantRequest.newBuilder().setSlug(slug).setPlan(plan).build());
            stdout.println("Tenant " + slug + " created: id " + tenant.getTenant().getId() + ", plan " + plan + ".");
            stdout.println();
            final Path dir = out != null ? out : Path.of(".wip", "tenants", slug);
            Issuing.certificate(admin, tenant.getTenant().getId(), slug, "created with tenant", dir, gateway, stdout);
            Issuing.token(admin, tenant.getTenant().getId(), "created with tenant", gateway, stdout);
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants.")
    int list() {
        final PrintWriter stdout = spec.commandLine().getOut();
        try (AdminClient client = root.connect()) {
            final var tenants = client.stub().listTenants(ListTenantsRequest.getDefaultInstance()).getTenantsList();
            stdout.printf("%-16s %-20s %-10s %-8s %s%n", "ID", "SLUG", "PLAN", "STATE", "CREATED");
            for (TenantInfo t : tenants) {
                stdout.printf("%-16s %-20s %-10s %-8s %s%n", t.getTenant().getId(), t.getTenant().getSlug(),
                              t.getTenant().getPlan(), t.getDisabled() ? "disabled" : "active",
                              Instant.ofEpochMilli(t.getCreatedEpochMillis()));
            }
        }
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one tenant and its credentials.")
    int show(@Parameters(paramLabel = "TENANT", description = "id or slug") String tenant) {
        final PrintWriter stdout = spec.commandLine().getOut();
        try (AdminClient client = root.connect()) {
            final TenantInfo t = client.stub().getTenant(ref(tenant));
            stdout.println("id:       " + t.getTenant().getId());
            stdout.println("slug:     " + t.getTenant().getSlug());
            stdout.println("plan:     " + t.getTenant().getPlan());
            stdout.println("created:  " + Instant.ofEpochMilli(t.getCreatedEpochMillis()));
            stdout.println("state:    " + (t.getDisabled()
                    ? "disabled since " + Instant.ofEpochMilli(t.getDisabledEpochMillis()) : "active"));
            stdout.println("engine:   " + root.engineState(t.getTenant().getId()));
            stdout.println("credentials:");
            CredentialCommands.printCredentials(client.stub().listCredentials(ref(tenant)).getCredentialsList(), stdout);
        }
        return 0;
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
             description = "Disable a tenant: all its credentials stop working within seconds.")
    int disable(@Parameters(paramLabel = "TENANT", description = "id or slug") String tenant) {
        try (AdminClient client = root.connect()) {
            final TenantInfo t = client.stub().disableTenant(ref(tenant));
            spec.commandLine().getOut().println("Tenant " + t.getTenant().getSlug() + " (" + t.getTenant().getId()
                                                        + ") disabled.");
        }
        return 0;
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
             description = "Move a tenant to another plan: its requests follow within seconds, its engine is sized "
                     + "by the new plan at its next start.")
    int plan(@Parameters(index = "0", paramLabel = "TENANT", description = "id or slug") String tenant,
             @Parameters(index = "1", paramLabel = "PLAN", description = "plan name, as policy-service defines it")
             String plan) {
        try (AdminClient client = root.connect()) {
            final TenantInfo t = client.stub().setTenantPlan(
                    SetTenantPlanRequest.newBuilder().setIdOrSlug(tenant).setPlan(plan).build());
            spec.commandLine().getOut().println("Tenant " + t.getTenant().getSlug() + " (" + t.getTenant().getId()
                    + ") is on plan " + t.getTenant().getPlan() + "; its engine takes the new size at its next start "
                    + "(after it idles out, or now with a restart of the engine).");
        }
        return 0;
    }

    static TenantRef ref(String idOrSlug) {
        return TenantRef.newBuilder().setIdOrSlug(idOrSlug).build();
    }
}
