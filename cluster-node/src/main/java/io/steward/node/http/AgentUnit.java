package io.steward.node.http;

/**
 * The systemd unit the UI hands out with a new enrollment token: the same privilege model as
 * {@code deploy/systemd/steward-agent.service} (root, because restarting units, reading any unit's journal and
 * backing up and restoring files with their owners need it; everything else the agent does not need is taken away
 * by the sandbox). README, "Agent privileges", explains each choice.
 */
final class AgentUnit {
    private AgentUnit() {}

    /** The sandbox, shared by the shipped unit (a test checks that both carry these lines). */
    static final String SANDBOX = """
            NoNewPrivileges=yes
            CapabilityBoundingSet=CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_CHOWN CAP_FOWNER CAP_FSETID CAP_KILL
            AmbientCapabilities=
            ProtectSystem=true
            PrivateTmp=yes
            PrivateDevices=yes
            ProtectKernelTunables=yes
            ProtectKernelModules=yes
            ProtectKernelLogs=yes
            ProtectControlGroups=yes
            ProtectClock=yes
            ProtectHostname=yes
            RestrictNamespaces=yes
            RestrictRealtime=yes
            RestrictSUIDSGID=yes
            LockPersonality=yes
            RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
            SystemCallArchitectures=native
            SystemCallFilter=@system-service
            UMask=0077
            """;

    static String text(String hub, String token, String jvmFlags) {
        return """
                # 1. Token (root-only file):
                #    install -d -m 700 /etc/steward && install -m 600 /dev/null /etc/steward/agent.env
                #    echo 'STEWARD_TOKEN=%s' > /etc/steward/agent.env
                # 2. This file as /etc/systemd/system/steward-agent.service, the jar as /opt/steward/steward-agent.jar
                # 3. systemctl daemon-reload && systemctl enable --now steward-agent
                # Runs as root inside a sandbox: restarting the services listed in /etc/steward/services.json (owned
                # by root, not writable by others: the agent refuses it otherwise) needs it. See the README.
                [Unit]
                Description=Steward agent
                After=network-online.target
                Wants=network-online.target

                [Service]
                User=root
                StateDirectory=steward-agent
                StateDirectoryMode=0700
                EnvironmentFile=/etc/steward/agent.env
                Environment=MALLOC_ARENA_MAX=2
                ExecStart=/usr/bin/java %s -jar /opt/steward/steward-agent.jar --hub %s --state-dir /var/lib/steward-agent
                ExecReload=/bin/kill -HUP $MAINPID
                SuccessExitStatus=143
                Restart=always
                RestartSec=5
                %s
                [Install]
                WantedBy=multi-user.target
                """.formatted(token, jvmFlags, hub, SANDBOX);
    }
}
