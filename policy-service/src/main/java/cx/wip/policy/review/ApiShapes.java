package cx.wip.policy.review;

import static cx.wip.policy.review.Shape.LEAF;
import static cx.wip.policy.review.Shape.struct;

/**
 * The request bodies the policy reviews, field by field as moby's Go types declare them (API 1.41 and later).
 * A key not declared here is dropped: what the policy does not know never reaches the daemon.
 */
final class ApiShapes {
    static final Shape.Struct HEALTHCHECK = struct("Test", "Interval", "Timeout", "StartPeriod", "StartInterval",
            "Retries").build();

    /** container.Config */
    static final Shape.Struct CONFIG = struct("Hostname", "Domainname", "User", "AttachStdin", "AttachStdout",
            "AttachStderr", "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "ArgsEscaped", "Image",
            "Volumes", "WorkingDir", "Entrypoint", "NetworkDisabled", "MacAddress", "OnBuild", "Labels", "StopSignal",
            "StopTimeout", "Shell")
            .with("Healthcheck", HEALTHCHECK)
            .build();

    static final Shape.Struct RESTART_POLICY = struct("Name", "MaximumRetryCount").build();
    static final Shape.Struct ULIMIT = struct("Name", "Soft", "Hard").build();
    static final Shape.Struct DEVICE_REQUEST = struct("Driver", "Count", "DeviceIDs", "Capabilities", "Options")
            .build();

    /** container.Resources, shared by create (inside HostConfig) and update. */
    static final Shape.Struct RESOURCES = struct("CpuShares", "Memory", "NanoCpus", "CgroupParent", "BlkioWeight",
            "BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps",
            "BlkioDeviceWriteIOps", "CpuPeriod", "CpuQuota", "CpuRealtimePeriod", "CpuRealtimeRuntime", "CpusetCpus",
            "CpusetMems", "Devices", "DeviceCgroupRules", "KernelMemory", "KernelMemoryTCP", "MemoryReservation",
            "MemorySwap", "MemorySwappiness", "OomKillDisable", "PidsLimit", "CpuCount", "CpuPercent",
            "IOMaximumIOps", "IOMaximumBandwidth")
            .with("DeviceRequests", new Shape.ListOf(DEVICE_REQUEST))
            .with("Ulimits", new Shape.ListOf(ULIMIT))
            .build();

    static final Shape.Struct DRIVER_CONFIG = struct("Name").with("Options", new Shape.MapOf(LEAF)).build();
    static final Shape.Struct MOUNT = struct("Type", "Source", "Target", "ReadOnly", "Consistency")
            // a struct, not a leaf: its keys are matched in any case too, so a case-variant duplicate is refused
            .with("BindOptions", struct("Propagation", "NonRecursive", "CreateMountpoint").build())
            .with("VolumeOptions", struct("NoCopy", "Labels", "Subpath").with("DriverConfig", DRIVER_CONFIG).build())
            .with("TmpfsOptions", struct("SizeBytes", "Mode", "Options").build())
            .build();

    static final Shape.Struct PORT_BINDING = struct("HostIp", "HostPort").build();
    static final Shape.Struct LOG_CONFIG = struct("Type").with("Config", new Shape.MapOf(LEAF)).build();

    /** container.HostConfig */
    static final Shape.Struct HOST_CONFIG = struct("Binds", "ContainerIDFile", "NetworkMode", "AutoRemove",
            "VolumeDriver", "VolumesFrom", "ConsoleSize", "Annotations", "CapAdd", "CapDrop", "CgroupnsMode", "Dns",
            "DnsOptions", "DnsSearch", "ExtraHosts", "GroupAdd", "IpcMode", "Cgroup", "Links", "OomScoreAdj",
            "PidMode", "Privileged", "PublishAllPorts", "ReadonlyRootfs", "SecurityOpt", "StorageOpt", "Tmpfs",
            "UTSMode", "UsernsMode", "ShmSize", "Sysctls", "Runtime", "Isolation", "MaskedPaths", "ReadonlyPaths",
            "Init")
            .withAll(RESOURCES)
            .with("LogConfig", LOG_CONFIG)
            .with("PortBindings", new Shape.MapOf(new Shape.ListOf(PORT_BINDING)))
            .with("RestartPolicy", RESTART_POLICY)
            .with("Mounts", new Shape.ListOf(MOUNT))
            .build();

    /** network.EndpointSettings */
    static final Shape.Struct ENDPOINT = struct("Links", "Aliases", "MacAddress", "NetworkID", "EndpointID",
            "Gateway", "IPAddress", "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address", "GlobalIPv6PrefixLen",
            "DNSNames", "GwPriority")
            .with("IPAMConfig", struct("IPv4Address", "IPv6Address", "LinkLocalIPs").build())
            .with("DriverOpts", new Shape.MapOf(LEAF))
            .build();

    static final Shape.Struct NETWORKING_CONFIG = struct()
            .with("EndpointsConfig", new Shape.MapOf(ENDPOINT)).build();

    /**
     * The create body: container.Config at the top, HostConfig and NetworkingConfig inside. The daemon also
     * reads HostConfig fields at the top level (a deprecated embedding); {@link ContainerRules} refuses those.
     */
    static final Shape.Struct CONTAINER_CREATE = struct()
            .withAll(CONFIG)
            .with("HostConfig", HOST_CONFIG)
            .with("NetworkingConfig", NETWORKING_CONFIG)
            .build();

    /** container.UpdateConfig: Resources plus RestartPolicy. */
    static final Shape.Struct CONTAINER_UPDATE = struct().withAll(RESOURCES)
            .with("RestartPolicy", RESTART_POLICY).build();

    /** container.ExecOptions */
    static final Shape.Struct EXEC_CREATE = struct("User", "Privileged", "Tty", "ConsoleSize", "AttachStdin",
            "AttachStderr", "AttachStdout", "Detach", "DetachKeys", "Env", "WorkingDir", "Cmd").build();

    static final Shape.Struct IPAM_CONFIG = struct("Subnet", "IPRange", "Gateway", "AuxiliaryAddresses").build();

    /** network.CreateRequest */
    static final Shape.Struct NETWORK_CREATE = struct("Name", "CheckDuplicate", "Driver", "Scope", "EnableIPv4",
            "EnableIPv6", "Internal", "Attachable", "Ingress", "ConfigOnly", "ConfigFrom", "Labels")
            .with("IPAM", struct("Driver").with("Config", new Shape.ListOf(IPAM_CONFIG))
                    .with("Options", new Shape.MapOf(LEAF)).build())
            .with("Options", new Shape.MapOf(LEAF))
            .build();

    /** network.ConnectOptions */
    static final Shape.Struct NETWORK_CONNECT = struct("Container").with("EndpointConfig", ENDPOINT).build();

    /** volume.CreateOptions */
    static final Shape.Struct VOLUME_CREATE = struct("Name", "Driver", "Labels", "ClusterVolumeSpec")
            .with("DriverOpts", new Shape.MapOf(LEAF))
            .build();

    private ApiShapes() {
    }
}
