package io.steward.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.steward.node.database.DatabaseSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Resolves the node's configuration: overrides (flags, tests) over an optional config file over
 * {@code application.conf}, then points pekko-persistence-jdbc at the same database Steward uses, so there is one
 * place to configure the database ({@code steward.db}).
 */
public final class NodeConfig {
    private NodeConfig() {}

    /** Loads with {@code overrides} winning; {@code ConfigFactory.load()} alone would ignore them (STACK P5). */
    public static Config load(Config overrides) {
        Config base = ConfigFactory.load(overrides.withFallback(ConfigFactory.parseResourcesAnySyntax("application")));
        return withPersistenceDatabase(base);
    }

    /** The database Steward's own tables and the event journal share. */
    public static DatabaseSettings databaseSettings(Config config) {
        Config db = config.getConfig("steward.db");
        String url = db.getString("url");
        if (url.isBlank()) {
            return DatabaseSettings.h2File(Path.of(config.getString("steward.data-dir")).toAbsolutePath());
        }
        return new DatabaseSettings(url, db.getString("user"), db.getString("password"), db.getInt("max-connections"));
    }

    private static Config withPersistenceDatabase(Config config) {
        DatabaseSettings database = databaseSettings(config);
        boolean h2 = database.kind() == DatabaseSettings.Kind.H2;
        Map<String, Object> keys = Map.of(
                "profile", h2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$",
                "db.url", database.jdbcUrl(),
                "db.driver", h2 ? "org.h2.Driver" : "org.postgresql.Driver",
                "db.user", database.user(),
                "db.password", database.password());
        Config persistence = ConfigFactory.empty();
        for (Map.Entry<String, Object> key : keys.entrySet()) {
            persistence = persistence.withValue(
                    "pekko-persistence-jdbc.shared-databases.default." + key.getKey(),
                    ConfigValueFactory.fromAnyRef(key.getValue()));
        }
        return persistence.withFallback(config).resolve();
    }
}
