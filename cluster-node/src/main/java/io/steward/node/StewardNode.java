package io.steward.node;

import com.typesafe.config.Config;
import io.steward.core.fleet.ServerId;
import io.steward.core.protocol.AgentMessage;
import io.steward.node.alerting.RuleBook;
import io.steward.node.alerting.RuleStore;
import io.steward.node.auth.AccountSettings;
import io.steward.node.auth.AgentCredentials;
import io.steward.node.auth.ApiTokens;
import io.steward.node.auth.AuditLog;
import io.steward.node.auth.PasswordHashing;
import io.steward.node.auth.PasswordResets;
import io.steward.node.auth.ResetMailer;
import io.steward.node.auth.SecretBox;
import io.steward.node.auth.UserStore;
import io.steward.node.checks.CheckAssignments;
import io.steward.node.checks.CheckCatalog;
import io.steward.node.checks.CheckCommand;
import io.steward.node.checks.CheckEntity;
import io.steward.node.checks.CheckFailures;
import io.steward.node.checks.CheckIngest;
import io.steward.node.checks.CheckSeriesSink;
import io.steward.node.checks.MaintenanceStore;
import io.steward.node.checks.StatusPages;
import io.steward.node.cluster.ClusterHeartbeats;
import io.steward.node.cluster.ClusterView;
import io.steward.node.cluster.ClusterViewSettings;
import io.steward.node.cluster.SeedGuard;
import io.steward.node.database.Blocking;
import io.steward.node.database.CompactionPacing;
import io.steward.node.database.Database;
import io.steward.node.database.DatabaseSettings;
import io.steward.node.database.EmbeddedCompaction;
import io.steward.node.database.EmbeddedStatistics;
import io.steward.node.http.ApiContext;
import io.steward.node.http.HttpApi;
import io.steward.node.http.HttpSettings;
import io.steward.node.http.PublicAddress;
import io.steward.node.http.RedirectRoutes;
import io.steward.node.ingest.AgentConnection;
import io.steward.node.ingest.AgentEndpoint;
import io.steward.node.ingest.CheckLink;
import io.steward.node.ingest.HubDirectory;
import io.steward.node.ingest.IngestCounters;
import io.steward.node.ingest.IngestSettings;
import io.steward.node.ingest.ReportSink;
import io.steward.node.ingest.WelcomedConnections;
import io.steward.node.live.LiveSettings;
import io.steward.node.live.UiSession;
import io.steward.node.live.UiSocket;
import io.steward.node.metrics.DataPurge;
import io.steward.node.metrics.MetricStore;
import io.steward.node.metrics.SeriesTotals;
import io.steward.node.metrics.StorageUsage;
import io.steward.node.metrics.StoreSettings;
import io.steward.node.metrics.TierRetention;
import io.steward.node.notify.AlertLedger;
import io.steward.node.notify.AlertReads;
import io.steward.node.notify.Channel;
import io.steward.node.notify.ChannelKind;
import io.steward.node.notify.ChannelSenders;
import io.steward.node.notify.ChannelStore;
import io.steward.node.notify.Dispatcher;
import io.steward.node.notify.EgressPolicy;
import io.steward.node.notify.InboxItem;
import io.steward.node.notify.Notifier;
import io.steward.node.notify.NotifySettings;
import io.steward.node.notify.Outbox;
import io.steward.node.overview.FleetOverview;
import io.steward.node.overview.FleetReadModel;
import io.steward.node.overview.OverviewSettings;
import io.steward.node.server.ClusterHealth;
import io.steward.node.server.FleetDirectory;
import io.steward.node.server.FleetFeed;
import io.steward.node.server.PauseWatch;
import io.steward.node.server.ServerSummary;
import io.steward.node.server.LastKnownValues;
import io.steward.node.server.LifecycleCommand;
import io.steward.node.server.ServerCommand;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServerEntitySettings;
import io.steward.node.server.ServerUpdate;
import io.steward.node.settings.RuntimeSettings;
import io.steward.node.settings.SettingsBook;
import io.steward.node.settings.SettingsStore;
import io.steward.node.telemetry.NodeMetrics;
import io.steward.node.telemetry.TelemetrySettings;
import io.steward.node.tls.NodeTls;
import io.steward.node.tls.TlsSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Steward node, wired in one place: database and schema, actor system and cluster membership, server
 * entity sharding, metric store, users, and the HTTP surface. {@link NodeMain} runs one; integration tests run
 * several in one JVM.
 */
public final class StewardNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StewardNode.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Config config;
    private final Database database;
    private final ActorSystem<Void> system;
    private final MetricStore metrics;
    private final UserStore users;
    private final AgentCredentials credentials;
    private final ServerBinding binding;
    private final Optional<NodeTls> tls;
    private final Optional<ServerBinding> redirectBinding;
    private final Optional<String> generatedAdminPassword;
    private final IngestCounters ingestCounters;
    private final ExecutorService sendPool;
    private final ChannelSenders senders;
    private final PasswordHashing hashing;
    private final MaintenanceStore maintenance;
    private final CheckCatalog checkCatalog;
    private final CheckAssignments checkAssignments;
    private final AtomicReference<HubDirectory> hubDirectory = new AtomicReference<>();
    private final SettingsBook settingsBook;

    private StewardNode(Config given) throws Exception {
        Config config = ClusterTransport.apply(given); // before anything opens: a refused transport starts nothing
        this.config = config;
        Clock clock = Clock.systemUTC();
        java.nio.file.Path dataDir = DataDirectory.prepare(config);
        // Read before the database opens, so a missing or unreadable key stops the start before anything changes.
        SecretBox secretBox = SecretBox.open(DataDirectory.secretKeyFile(config, dataDir));
        // Certificate problems (a missing file, a key that is not the certificate's) stop the start at once.
        TlsSettings tlsSettings = TlsSettings.fromConfig(config);
        String bind = config.getString("steward.http.bind");
        TlsSettings.Plan tlsPlan = tlsSettings.plan(bind);
        this.tls = tlsPlan instanceof TlsSettings.Plain ? Optional.empty()
                : Optional.of(NodeTls.start(tlsSettings, tlsPlan, bind, config.getString("steward.http.public-url")));
        if (tls.isEmpty() && tlsSettings.redirectPort() > 0) {
            throw new IllegalArgumentException("steward.http.redirect-port (--redirect-port) redirects plain HTTP to "
                    + "HTTPS, but this node serves plain HTTP (bound to loopback, or tls.mode = off)");
        }
        this.database = Database.open(NodeConfig.databaseSettings(config));
        try {
            database.migrate();
        } catch (RuntimeException | java.sql.SQLException e) {
            database.close();
            throw e;
        }
        ClusterHeartbeats heartbeats = new ClusterHeartbeats(database.dataSource());
        String selfAddress = "pekko://" + config.getString("steward.cluster.name") + "@"
                + config.getString("pekko.remote.artery.canonical.hostname") + ":"
                + config.getInt("pekko.remote.artery.canonical.port");
        this.system = ActorSystem.create(Behaviors.empty(), config.getString("steward.cluster.name"),
                SeedGuard.apply(config, heartbeats, selfAddress, clock));
        try {
            joinCluster();
            Executor blockingExecutor =
                    system.dispatchers().lookup(DispatcherSelector.fromConfig("steward-blocking-dispatcher"));
            Blocking blocking = new Blocking(blockingExecutor);
            if (!config.getStringList("pekko.cluster.seed-nodes").isEmpty()) { // a single node vouches for no one
                heartbeats.beatWhileUp(system, selfAddress, config.getDuration("steward.cluster.heartbeat-interval"),
                        clock, blockingExecutor);
            }
            // Runtime settings (issue 15): the config file's values with the admin's overrides from the database.
            SettingsStore settingsStore = new SettingsStore(database.dataSource(), clock);
            this.settingsBook = new SettingsBook(settingsStore, blocking, config);
            settingsBook.loadNow();
            ActorRef<Topic.Command<SettingsBook.SettingsChanged>> settingsTopic = system.systemActorOf(
                    Topic.create(SettingsBook.SettingsChanged.class, "steward-settings"), "settings-topic",
                    Props.empty());
            system.systemActorOf(settingsBook.follower(settingsTopic,
                    config.getDuration("steward.settings.reload")), "settings-follower", Props.empty());
            this.metrics = MetricStore.start(system, database, config, blockingExecutor);
            scheduleEmbeddedCompaction(config.getConfig("steward.db"), blocking);
            scheduleEmbeddedStatistics(config.getConfig("steward.db"), blocking);
            metrics.retentionFrom(() -> {
                RuntimeSettings now = settingsBook.current();
                return new TierRetention(now.rawRetention(), now.minuteRetention(), now.hourRetention());
            });
            AccountSettings accountSettings = AccountSettings.fromConfig(config);
            this.hashing = new PasswordHashing(accountSettings.bcryptCost(), accountSettings.hashingThreads(),
                    accountSettings.hashingQueue());
            this.users = new UserStore(database.dataSource(), clock, hashing, accountSettings.sessionIdleTimeout());
            this.credentials = new AgentCredentials(database.dataSource(), clock);

            RuleStore ruleStore = new RuleStore(database.dataSource(), clock);
            if (ruleStore.seedDefaultsOnce()) {
                log.info("Seeded the default alert rules");
            }
            RuleBook ruleBook = new RuleBook(ruleStore, blocking);
            ruleBook.loadNow();
            ActorRef<Topic.Command<RuleBook.RulesChanged>> rulesTopic = system.systemActorOf(
                    Topic.create(RuleBook.RulesChanged.class, "steward-alert-rules"), "alert-rules-topic",
                    Props.empty());
            system.systemActorOf(ruleBook.follower(rulesTopic, config.getDuration("steward.alerting.rule-reload")),
                    "alert-rules-follower", Props.empty());

            ClusterSharding sharding = ClusterSharding.get(system);
            ServerEntitySettings entitySettings = ServerEntitySettings.fromConfig(config);
            LastKnownValues lastKnown = MetricStoreSeams.lastKnownValues(metrics);
            // One topic actor per node; Pekko's receptionist links them across the cluster.
            ActorRef<Topic.Command<ServerUpdate>> fleetTopic = system.systemActorOf(
                    Topic.create(ServerUpdate.class, "steward-fleet"), "fleet-topic", Props.empty());
            FleetFeed fleetFeed = update -> fleetTopic.tell(Topic.publish(update));
            PauseWatch pauseWatch = PauseWatch.start(clock, entitySettings.overdueTimers().tolerance());
            system.getWhenTerminated().thenRun(pauseWatch::close); // nodes come and go within one test JVM
            ClusterHealth clusterHealth = ClusterHealth.of(system, pauseWatch);
            Entity<ServerCommand, ShardingEnvelope<ServerCommand>> entity = Entity.of(
                    ServerEntity.TYPE_KEY, context -> ServerEntity.create(ServerId.of(context.getEntityId()),
                            entitySettings, ServerEntity.Collaborators.NONE.withLastKnown(lastKnown)
                                    .withStored(metrics::lastStoredSequence)
                                    .withFleet(fleetFeed).withRules(ruleBook)
                                    .withOfflineThreshold(() -> java.util.OptionalInt.of(
                                            settingsBook.current().offlineAfterMissedReports()))
                                    .withClusterHealth(clusterHealth),
                            context.getShard()));
            String role = config.getString("steward.cluster.entity-role");
            sharding.init(role.isEmpty() ? entity : entity.withRole(role));
            this.maintenance = new MaintenanceStore(database.dataSource(), clock);
            maintenance.reload();
            CheckSeriesSink checkSeries = MetricStoreSeams.checkSeries(metrics);
            Entity<CheckCommand, ShardingEnvelope<CheckCommand>> checkEntity = Entity.of(CheckEntity.TYPE_KEY,
                    context -> CheckEntity.create(context.getEntityId(),
                            new CheckEntity.Collaborators(ruleBook, maintenance, checkSeries, clock,
                                    clusterHealth),
                            context.getShard()));
            sharding.init(role.isEmpty() ? checkEntity : checkEntity.withRole(role));

            this.generatedAdminPassword = users.ensureAdmin(emptyToNull(config.getString("steward.admin-password")));

            this.ingestCounters = new IngestCounters();
            ReportSink sink = MetricStoreSeams.reportSink(metrics);
            HttpSettings httpSettings = HttpSettings.fromConfig(config);
            FleetDirectory fleet = new FleetDirectory(sharding,
                    () -> blocking.supply(credentials::serverIds), httpSettings.askTimeout());
            // The overview's read model (issue 16): the fleet's summaries folded from the fleet topic, so the list and
            // the browser's snapshot cost one local message, not an ask to every entity.
            ActorRef<FleetReadModel.Command> fleetModel = system.systemActorOf(FleetReadModel.create(fleetTopic,
                    new FleetReadModel.Sources() {
                        @Override
                        public CompletionStage<List<String>> serverIds() {
                            return fleet.serverIds();
                        }

                        @Override
                        public CompletionStage<List<ServerSummary>> summariesOf(List<String> serverIds) {
                            return fleet.summariesOf(serverIds);
                        }
                    }, OverviewSettings.fromConfig(config), clock), "fleet-overview", Props.empty());
            // A reader may wait for the first read of the fleet at start: the table, then the entities' answers.
            FleetOverview overview = new FleetOverview(fleetModel, system.scheduler(),
                    httpSettings.askTimeout().multipliedBy(2));
            this.checkCatalog = new CheckCatalog(database.dataSource(), clock);
            CheckFailures checkFailures = new CheckFailures(database.dataSource());
            this.checkAssignments = new CheckAssignments(sharding, checkCatalog, fleet, blocking,
                    httpSettings.askTimeout(), this::stopping);
            CheckIngest checkIngest = new CheckIngest(sharding, checkAssignments, checkSeries, checkFailures, blocking);
            // A new agent interval reaches agents connected here at once; every node reloads and tells its own.
            WelcomedConnections welcomedAgents = new WelcomedConnections();
            settingsBook.onChange((before, after) -> {
                if (!before.agentInterval().equals(after.agentInterval())) {
                    log.info("Agent interval now [{}] ms: telling the [{}] agents connected here",
                            after.agentInterval().toMillis(), welcomedAgents.count());
                    welcomedAgents.agentIntervalChanged();
                }
            });
            AgentEndpoint agentEndpoint = new AgentEndpoint(system, new AgentConnection.Dependencies(
                    IngestSettings.fromConfig(config), credentials, sink, sharding, ingestCounters, blocking,
                    checkLink(checkAssignments, checkIngest),
                    () -> hubDirectory.get() == null ? List.of() : hubDirectory.get().welcomeHubs(),
                    () -> settingsBook.current().agentInterval(), welcomedAgents,
                    since -> clusterHealth.pausedSince(since)
                            .compareTo(entitySettings.overdueTimers().tolerance()) > 0));
            ActorRef<Topic.Command<InboxItem>> inboxTopic = system.systemActorOf(
                    Topic.create(InboxItem.class, "steward-inbox"), "inbox-topic", Props.empty());
            Consumer<InboxItem> inbox = item -> inboxTopic.tell(Topic.publish(item));
            NotifySettings notifySettings = NotifySettings.fromConfig(config, "");
            this.sendPool = Executors.newFixedThreadPool(notifySettings.parallelism(), daemonThreads("steward-notify"));
            ChannelStore channels = new ChannelStore(database.dataSource(), clock, secretBox);
            int sealed = channels.sealPlaintextSecrets();
            if (sealed > 0) {
                log.info("Encrypted the stored secrets of [{}] notification channels with key [{}]", sealed,
                        secretBox.keyId());
            }
            Outbox outbox = new Outbox(database.dataSource(), clock);
            EgressPolicy egress = EgressPolicy.fromConfig(config);
            ChannelSenders sender = new ChannelSenders(notifySettings.sendTimeout(), egress, clock);
            this.senders = sender;
            AtomicReference<String> publicUrl = new AtomicReference<>("");
            UiSocket uiSocket = new UiSocket(system, new UiSession.Dependencies(LiveSettings.fromConfig(config),
                    sharding, fleetTopic, inboxTopic, fleet, overview,
                    token -> blocking.supply(() -> users.isSessionAlive(token))));
            PasswordResets resets = new PasswordResets(database.dataSource(), clock, accountSettings.resetLinkTtl());
            ApiContext.Accounts accounts = new ApiContext.Accounts(accountSettings,
                    new ApiTokens(database.dataSource(), clock), hashing, resets,
                    resetMailer(channels, sender), new AuditLog(database.dataSource(), clock));
            Duration purgeEvery = accountSettings.sessionPurgeInterval();
            system.scheduler().scheduleWithFixedDelay(purgeEvery, purgeEvery, () -> blocking.run(() -> {
                int sessions = users.purgeExpiredSessions();
                resets.purge();
                log.debug("Purged [{}] ended sessions", sessions);
            }).whenComplete((done, failure) -> {
                if (failure != null) {
                    log.warn("Could not purge ended sessions", failure);
                }
            }), system.executionContext());
            AtomicInteger boundPort = new AtomicInteger();
            PublicAddress address = new PublicAddress(() -> settingsBook.current().publicUrl(), tls.isPresent(),
                    boundPort::get,
                    PublicAddress.directNames(httpSettings.bind()),
                    () -> tls.flatMap(NodeTls::selfSignedPin), () -> tls.flatMap(NodeTls::selfSignedPublicKeyPin));
            // The cluster view (issue 14): records membership events from here on; serves /api/cluster and /readyz.
            ClusterView clusterView = ClusterView.start(system, database, blocking,
                    ClusterViewSettings.fromConfig(config));
            ApiContext api = new ApiContext(system, httpSettings, sharding, database, metrics, users, accounts,
                    credentials,
                    agentEndpoint, fleet, overview,
                    new ApiContext.Alerting(ruleStore,
                            () -> rulesTopic.tell(Topic.publish(new RuleBook.RulesChanged()))),
                    new ApiContext.Notifications(channels, outbox, new AlertReads(database.dataSource(), clock),
                            sender, sendPool, this::publicUrl, egress),
                    new ApiContext.Checks(checkCatalog, checkAssignments, checkFailures,
                            MetricStoreSeams.checkSeriesSource(metrics, new SeriesTotals(database), blocking, clock),
                            maintenance, new StatusPages(database.dataSource(), clock)),
                    uiSocket, ingestCounters, blocking, clock, address, clusterView,
                    () -> hubDirectory.get() == null ? List.of() : hubDirectory.get().otherHubs(),
                    new NodeMetrics(TelemetrySettings.fromConfig(config),
                            new NodeMetrics.Sources(ingestCounters, metrics, outbox, channels, overview), blocking),
                    new ApiContext.Runtime(settingsBook, settingsStore,
                            () -> settingsTopic.tell(Topic.publish(new SettingsBook.SettingsChanged())),
                            new StorageUsage(database), new DataPurge(database, StoreSettings.fromConfig(config))));
            ServerBuilder server = Http.get(system).newServerAt(httpSettings.bind(), httpSettings.port());
            if (tls.isPresent()) {
                server = server.enableHttps(ConnectionContext.httpsServer(tls.get().serverContext()));
            }
            this.binding = server
                    .bind(new HttpApi(api).route())
                    .toCompletableFuture()
                    .get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .addToCoordinatedShutdown(Duration.ofSeconds(5), system);
            boundPort.set(binding.localAddress().getPort());
            this.redirectBinding = tlsSettings.redirectPort() == 0 ? Optional.empty() : Optional.of(
                    Http.get(system).newServerAt(httpSettings.bind(), tlsSettings.redirectPort())
                            .bind(new RedirectRoutes(address).route())
                            .toCompletableFuture()
                            .get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                            .addToCoordinatedShutdown(Duration.ofSeconds(5), system));
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                    "close-metric-store", () -> metrics.stop().thenApply(done -> Done.getInstance()));

            // Links in notifications need this node's public address, known once bound.
            publicUrl.set(publicUrl(config, httpPort(), tls.isPresent()));
            // Agents welcomed by any node learn every member's endpoint (and, self-signed, its pin), where they go
            // when their node is lost. A node bound to every address without a public URL only guesses its address
            // (127.0.0.1): it offers none, but still announces itself so the others know its announcement is in.
            String bindAddress = config.getString("steward.http.bind");
            boolean knowsItsAddress = !config.getString("steward.http.public-url").isBlank()
                    || !(bindAddress.equals("0.0.0.0") || bindAddress.equals("::"));
            hubDirectory.set(HubDirectory.start(system, knowsItsAddress
                    ? Optional.of(new HubDirectory.AgentHub(agentEndpoint(publicUrl.get()),
                            tls.flatMap(NodeTls::selfSignedPin)))
                    : Optional.empty()));
            NotifySettings withUrl = NotifySettings.fromConfig(config, publicUrl.get());
            // Links follow the public URL in force (an admin may change it at runtime).
            AlertLedger ledger = new AlertLedger(database.dataSource(), clock, withUrl.maxEventAge(),
                    subject -> withUrl.withPublicUrl(publicUrl()).serverLink(subject));
            ClusterSingleton.get(system).init(SingletonActor.of(Notifier.create(ledger,
                            new Dispatcher.Dependencies(outbox, channels, ledger, sender, withUrl, sendPool, blocking,
                                    inbox), blocking, inbox), "notifier")
                    .withStopMessage(new Notifier.Stop()));
            wakeServers(sharding, blocking);
            // Again every few minutes: an entity that moved off a node that died (no agent to bring it back) keeps
            // its timers, offline detection and backup schedule going on the node that has it now.
            Duration wakeEvery = config.getDuration("steward.server.wake-interval");
            system.scheduler().scheduleWithFixedDelay(wakeEvery, wakeEvery,
                    () -> wakeServers(sharding, blocking), system.executionContext());
            scheduleChecks(config, blocking, checkFailures);
        } catch (Exception | Error e) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            database.close();
            throw e;
        }
    }

    /** Starts a node with a fully resolved configuration (see {@link NodeConfig#load}). */
    public static StewardNode start(Config config) throws Exception {
        return new StewardNode(config);
    }

    /** Joins the configured seed nodes, or forms a single-node cluster with itself; waits until this node is Up. */
    private void joinCluster() throws InterruptedException {
        Cluster cluster = Cluster.get(system);
        if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        // Poll selfMember rather than registerOnMemberUp, which can fire before the typed view shows Up (STACK P8).
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("this node did not become an Up cluster member within "
                        + STARTUP_TIMEOUT.toSeconds() + " s; check pekko.cluster.seed-nodes");
            }
            Thread.sleep(20);
        }
    }

    /** Password reset links go out through the first enabled email channel's SMTP server. */
    private static ResetMailer resetMailer(ChannelStore channels, ChannelSenders sender) {
        return (to, subject, text) -> {
            Optional<Channel> email = channels.all().stream()
                    .filter(channel -> channel.kind() == ChannelKind.EMAIL && channel.enabled())
                    .findFirst();
            if (email.isEmpty()) {
                return false;
            }
            sender.email(email.get(), List.of(to), subject, text);
            return true;
        };
    }

    /**
     * Checks' periodic work: assignments resolved again (a server joined a group, a tag was added; this also starts
     * every check's entity after a restart), maintenance windows made elsewhere read again, old failures pruned.
     */
    private void scheduleChecks(Config config, Blocking blocking, CheckFailures failures) {
        Duration refreshEvery = config.getDuration("steward.checks.assignment-refresh");
        system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(2), refreshEvery,
                () -> checkAssignments.refresh().whenComplete((plan, failure) -> {
                    if (failure != null) {
                        log.warn("Could not refresh the check assignments", failure);
                    }
                }), system.executionContext());
        Duration reloadEvery = config.getDuration("steward.checks.maintenance-reload");
        system.scheduler().scheduleWithFixedDelay(reloadEvery, reloadEvery, () -> blocking.run(maintenance::reload)
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.warn("Could not read the maintenance windows", failure);
                    }
                }), system.executionContext());
        system.scheduler().scheduleWithFixedDelay(Duration.ofMinutes(5), Duration.ofHours(1),
                () -> blocking.run(() -> {
                    // Check failures are kept as long as raw metrics (the retention in force, a runtime setting).
                    java.time.Instant cutoff = java.time.Instant.now().minus(settingsBook.current().rawRetention());
                    for (CheckCatalog.Entry check : checkCatalog.all()) {
                        failures.prune(check.id(), cutoff);
                    }
                }).whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.warn("Could not prune old check failures", failure);
                    }
                }), system.executionContext());
    }

    /** The agents' check traffic: an assignment when one connects, its results to the checks. */
    private static CheckLink checkLink(CheckAssignments assignments, CheckIngest ingest) {
        return new CheckLink() {
            @Override
            public void connected(String serverId) {
                assignments.assignTo(serverId).whenComplete((sent, failure) -> {
                    if (failure != null) {
                        log.warn("Could not send server [{}] its checks", serverId, failure);
                    }
                });
            }

            @Override
            public void results(String serverId, AgentMessage.CheckResults frame) {
                ingest.accept(serverId, frame);
            }
        };
    }

    /**
     * Records that {@code serverId} is this node's own local agent (the "local" vantage of checks) and assigns it
     * the checks that run there.
     */
    void registerLocalVantage(String serverId) {
        system.dispatchers().lookup(DispatcherSelector.fromConfig("steward-blocking-dispatcher")).execute(() -> {
            try {
                checkCatalog.addLocalVantage(serverId);
                checkAssignments.refresh();
            } catch (java.sql.SQLException | RuntimeException e) {
                log.warn("Could not record the local agent [{}] as the local vantage of checks", serverId, e);
            }
        });
    }

    /**
     * On embedded H2, a round of H2's file compaction every {@code h2-compaction-interval} once the file grew by
     * {@code h2-compaction-growth} ({@link EmbeddedCompaction}, {@link CompactionPacing}): H2's own housekeeping stops
     * with the commits written at once.
     */
    private void scheduleEmbeddedCompaction(Config db, Blocking blocking) {
        if (database.kind() != DatabaseSettings.Kind.H2) {
            return;
        }
        Duration every = db.getDuration("h2-compaction-interval");
        if (every.isZero()) {
            return;
        }
        if (every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("steward.db.h2-compaction-interval must be 0 (off) or at least 1s, was "
                    + every);
        }
        // A size that is not one, or a negative one, fails in getBytes with the key named.
        CompactionPacing pacing = new CompactionPacing(db.getBytes("h2-compaction-growth"));
        EmbeddedCompaction compaction;
        try {
            compaction = EmbeddedCompaction.of(database, db.getDuration("h2-compaction-budget"), pacing).orElseThrow();
        } catch (IllegalArgumentException e) { // its bounds are EmbeddedCompaction's; the key is named here
            throw new IllegalArgumentException("steward.db.h2-compaction-budget: " + e.getMessage(), e);
        }
        if (database.settings().h2AnalyzesInCommits()) {
            log.warn("steward.db.url sets H2's ANALYZE_AUTO to other than 0 while the file is compacted: a round can"
                    + " then fail a writer's commit (\"Chunk ... not found\"); leave ANALYZE_AUTO out of the URL");
        }
        everyOneAtATime(every, every, blocking, compaction::runOnce, "compact the embedded database file",
                result -> result.filter(step -> step.bytesFreed() > 0).ifPresent(step -> log.debug(
                        "Compacted the embedded database file: [{}] -> [{}] bytes in [{}] ms",
                        step.bytesBefore(), step.bytesAfter(), step.took().toMillis())));
    }

    /**
     * On embedded H2, table statistics every {@code h2-analyze-interval}, the first a minute after the start
     * ({@link EmbeddedStatistics}): H2's own, inside commits, is off.
     */
    private void scheduleEmbeddedStatistics(Config db, Blocking blocking) {
        Optional<EmbeddedStatistics> statistics = EmbeddedStatistics.of(database);
        Duration every = db.getDuration("h2-analyze-interval");
        if (statistics.isEmpty() || every.isZero()) {
            return;
        }
        if (every.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("steward.db.h2-analyze-interval must be 0 (off) or at least 1m, was "
                    + every);
        }
        EmbeddedStatistics analyze = statistics.get();
        everyOneAtATime(Duration.ofMinutes(1), every, blocking, () -> {
            analyze.runOnce();
            return null;
        }, "gather the embedded database's table statistics", done -> { });
    }

    /**
     * Runs {@code work} on the blocking pool after {@code first}, then every {@code every}, never two at once (a tick
     * while one still runs is skipped) and never once the node is stopping; a failure is logged as "Could not
     * {@code what}" and tried again at the next tick.
     */
    private <T> void everyOneAtATime(Duration first, Duration every, Blocking blocking, Blocking.Work<T> work,
            String what, Consumer<T> done) {
        AtomicBoolean running = new AtomicBoolean();
        system.scheduler().scheduleWithFixedDelay(first, every, () -> {
            if (stopping() || !running.compareAndSet(false, true)) {
                return;
            }
            blocking.supply(work).whenComplete((result, failure) -> {
                running.set(false);
                if (failure != null) {
                    log.warn("Could not {}; trying again in [{}]", what, every, failure);
                } else {
                    done.accept(result);
                }
            });
        }, system.executionContext());
    }

    /**
     * Whether this node's coordinated shutdown has begun. Periodic jobs send nothing to sharding then: a message for a
     * shard handed off already is buffered for a coordinator that is stopping, and holds the stop until its timeout.
     */
    private boolean stopping() {
        return CoordinatedShutdown.get(system).getShutdownReason().isPresent();
    }

    /** Starts every known server's entity so offline detection resumes after a restart. */
    private void wakeServers(ClusterSharding sharding, Blocking blocking) {
        blocking.supply(credentials::serverIds).whenComplete((ids, failure) -> {
            if (stopping()) {
                return;
            }
            if (failure != null) {
                log.warn("Could not list servers to wake", failure);
                return;
            }
            for (String id : ids) {
                sharding.entityRefFor(ServerEntity.TYPE_KEY, id).tell(new LifecycleCommand.Wake());
            }
            log.debug("Woke [{}] server entities", ids.size());
        });
    }

    /** The agent endpoint of a node whose dashboard is at {@code publicUrl}: {@code wss://host:port/ws/agent}. */
    static String agentEndpoint(String publicUrl) {
        return publicUrl.replaceFirst("^http", "ws").replaceAll("/+$", "") + "/ws/agent";
    }

    /** The configured public URL, or one made of the bind address and the bound port. */
    public static String publicUrl(Config config, int port, boolean https) {
        return publicUrl(config.getString("steward.http.public-url"), config, port, https);
    }

    /** {@code url} (the public URL in force), or when blank one made of the bind address and the bound port. */
    static String publicUrl(String url, Config config, int port, boolean https) {
        if (!url.isBlank()) {
            return url.replaceAll("/+$", "");
        }
        String host = config.getString("steward.http.bind");
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return (https ? "https://" : "http://") + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * This node's dashboard address: the public URL in force (an admin's setting, else the config file's), or one made
     * of the bind address and port.
     */
    public String publicUrl() {
        return publicUrl(settingsBook.current().publicUrl(), config, httpPort(), tls.isPresent());
    }

    /** The node's HTTPS, unless it serves plain HTTP (bound to loopback, or TLS turned off). */
    public Optional<NodeTls> tls() {
        return tls;
    }

    /** The plain-HTTP port that only redirects to HTTPS, if one was asked for. */
    public Optional<Integer> redirectPort() {
        return redirectBinding.map(bound -> bound.localAddress().getPort());
    }

    /** The cluster's agent endpoints as this node's welcome names them (its own first). */
    public List<String> agentHubs() {
        HubDirectory directory = hubDirectory.get();
        return directory == null ? List.of()
                : HubDirectory.endpoints(directory.welcomeHubs());
    }

    public int httpPort() {
        return binding.localAddress().getPort();
    }

    public ActorSystem<Void> system() {
        return system;
    }

    public Config config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public MetricStore metrics() {
        return metrics;
    }

    public UserStore users() {
        return users;
    }

    public AgentCredentials credentials() {
        return credentials;
    }

    public IngestCounters ingestCounters() {
        return ingestCounters;
    }

    /** The admin password generated at first start, if one was generated (shown once). */
    public Optional<String> generatedAdminPassword() {
        return generatedAdminPassword;
    }

    /** Leaves the cluster, unbinds, flushes the store, terminates the actor system, closes the database. */
    @Override
    public void close() {
        try {
            CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Node shutdown did not complete cleanly", e);
        } finally {
            sendPool.shutdownNow();
            senders.close();
            hashing.close();
            database.close();
        }
    }
}
