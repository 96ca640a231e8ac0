package io.steward.node.http;

import io.steward.node.alerting.RuleStore;
import io.steward.node.auth.AccountSettings;
import io.steward.node.auth.AgentCredentials;
import io.steward.node.auth.ApiTokens;
import io.steward.node.auth.AuditLog;
import io.steward.node.auth.PasswordHashing;
import io.steward.node.auth.PasswordResets;
import io.steward.node.auth.ResetMailer;
import io.steward.node.auth.UserStore;
import io.steward.node.checks.CheckAssignments;
import io.steward.node.checks.CheckCatalog;
import io.steward.node.checks.CheckFailures;
import io.steward.node.checks.CheckSeriesSource;
import io.steward.node.checks.MaintenanceStore;
import io.steward.node.checks.StatusPages;
import io.steward.node.cluster.ClusterView;
import io.steward.node.database.Blocking;
import io.steward.node.database.Database;
import io.steward.node.ingest.AgentEndpoint;
import io.steward.node.ingest.HubDirectory;
import io.steward.node.ingest.IngestCounters;
import io.steward.node.live.UiSocket;
import io.steward.node.metrics.DataPurge;
import io.steward.node.metrics.MetricStore;
import io.steward.node.metrics.StorageUsage;
import io.steward.node.notify.AlertReads;
import io.steward.node.notify.ChannelStore;
import io.steward.node.notify.EgressPolicy;
import io.steward.node.notify.Outbox;
import io.steward.node.notify.Sender;
import io.steward.node.overview.FleetOverview;
import io.steward.node.server.FleetDirectory;
import io.steward.node.settings.SettingsBook;
import io.steward.node.settings.SettingsStore;
import io.steward.node.telemetry.NodeMetrics;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What the routes need, wired once by the node. Routes depend on these; nothing depends on routes.
 *
 * @param otherAgentHubs the other members' agent hubs announced so far (for the enrollment command)
 * @param telemetry this node's metrics for {@code GET /metrics}
 * @param overview the fleet's summaries from this node's read model (the server list answers from it)
 */
public record ApiContext(
        ActorSystem<?> system,
        HttpSettings settings,
        ClusterSharding sharding,
        Database database,
        MetricStore metrics,
        UserStore users,
        Accounts accounts,
        AgentCredentials credentials,
        AgentEndpoint agentEndpoint,
        FleetDirectory fleet,
        FleetOverview overview,
        Alerting alerting,
        Notifications notifications,
        Checks checks,
        UiSocket uiSocket,
        IngestCounters ingestCounters,
        Blocking blocking,
        Clock clock,
        PublicAddress address,
        ClusterView cluster,
        Supplier<List<HubDirectory.AgentHub>> otherAgentHubs,
        NodeMetrics telemetry,
        Runtime runtime) {

    /**
     * Runtime settings (issue 15): the values in force on this node, their table, how to tell every node of a change,
     * and the storage figures and purge of the Settings page.
     */
    public record Runtime(SettingsBook book, SettingsStore store, Runnable changed, StorageUsage storage,
            DataPurge purge) {}

    /** API tokens, password hashing, reset links and their mailer, the audit log. */
    public record Accounts(AccountSettings settings, ApiTokens tokens, PasswordHashing hashing,
            PasswordResets resets, ResetMailer mailer, AuditLog audit) {}

    /** URL checks: their index, assignments to agents, failures, series, maintenance windows and status pages. */
    public record Checks(CheckCatalog catalog, CheckAssignments assignments, CheckFailures failures,
            CheckSeriesSource series, MaintenanceStore maintenance, StatusPages statusPages) {}

    /** The alert rules and how to tell every node they changed. */
    public record Alerting(RuleStore store, Runnable changed) {}

    /**
     * Channels, the outbox, the alerting read side, and a sender for "send test notification" (run on
     * {@code sendPool}, never on the HTTP threads).
     */
    public record Notifications(ChannelStore channels, Outbox outbox, AlertReads reads, Sender sender,
            Executor sendPool, Supplier<String> publicUrl, EgressPolicy egress) {}
}
