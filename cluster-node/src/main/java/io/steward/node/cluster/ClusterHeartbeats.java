package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import io.steward.node.database.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContext;

/**
 * The members' heartbeats in the shared database: each Up node's address and when it last wrote. What {@link
 * SeedGuard} reads to tell "no cluster is running" from "a cluster runs where I cannot reach it". Times are the
 * writers' clocks: the freshness window (seconds) is far wider than the skew of NTP-synchronised machines.
 */
public final class ClusterHeartbeats {
    private static final Logger log = LoggerFactory.getLogger(ClusterHeartbeats.class);
    private final DataSource dataSource;

    public ClusterHeartbeats(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /**
     * Writes {@code self}'s heartbeat every {@code every} on {@code executor} while this node is an Up member and not
     * stopping: one leaving, downed or shutting down no longer vouches for a running cluster.
     */
    public void beatWhileUp(ActorSystem<?> system, String self, Duration every, Clock clock, Executor executor) {
        system.scheduler().scheduleWithFixedDelay(Duration.ZERO, every, () -> {
            if (CoordinatedShutdown.get(system).getShutdownReason().isPresent()
                    || Cluster.get(system).selfMember().status() != MemberStatus.up()) {
                return;
            }
            try {
                beat(self, clock.instant());
            } catch (SQLException | RuntimeException e) {
                log.warn("Could not write this member's heartbeat", e); // caught: a throw would end the schedule
            }
        }, ExecutionContext.fromExecutor(executor));
    }

    /** Records that {@code address} is an Up member at {@code now}. */
    public void beat(String address, Instant now) throws SQLException {
        Jdbc.inTransaction(dataSource, connection -> {
            if (update(connection, address, now) == 0) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO cluster_heartbeats(member_address, seen_at) VALUES (?, ?)")) {
                    insert.setString(1, address);
                    insert.setLong(2, now.toEpochMilli());
                    insert.executeUpdate();
                } catch (SQLException e) {
                    if (!Jdbc.isIntegrityViolation(e)) {
                        throw e;
                    }
                    update(connection, address, now); // another incarnation of this address inserted first
                }
            }
            return null;
        });
    }

    /** Members other than {@code self} that wrote at or after {@code since}. */
    public List<String> othersSeenSince(String self, Instant since) throws SQLException {
        return Jdbc.withConnection(dataSource, connection -> {
            List<String> seen = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT member_address FROM cluster_heartbeats"
                    + " WHERE member_address <> ? AND seen_at >= ? ORDER BY member_address")) {
                select.setString(1, self);
                select.setLong(2, since.toEpochMilli());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        seen.add(rows.getString(1));
                    }
                }
            }
            return seen;
        });
    }

    private static int update(Connection connection, String address, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE cluster_heartbeats SET seen_at = ? WHERE member_address = ?")) {
            update.setLong(1, now.toEpochMilli());
            update.setString(2, address);
            return update.executeUpdate();
        }
    }
}
