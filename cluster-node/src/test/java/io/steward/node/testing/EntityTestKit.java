package io.steward.node.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One actor system with the in-memory persistence of {@link EventSourcedBehaviorTestKit} for a test class of an
 * event-sourced entity, started before its tests and shut down after them:
 * {@code @RegisterExtension static final EntityTestKit kit = new EntityTestKit("MyTest");}.
 */
public final class EntityTestKit implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private final Config extra;
    private ActorTestKit kit;

    public EntityTestKit(String name) {
        this(name, ConfigFactory.empty());
    }

    /** With {@code extra} settings over the test kit's (e.g. a snapshot store). */
    public EntityTestKit(String name, Config extra) {
        this.name = name;
        this.extra = extra;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        kit = ActorTestKit.create(name, extra.withFallback(EventSourcedBehaviorTestKit.config())
                .withFallback(ConfigFactory.load()).resolve());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        kit.shutdownTestKit();
    }

    public ActorSystem<?> system() {
        return kit.system();
    }

    public <T> TestProbe<T> createTestProbe() {
        return kit.createTestProbe();
    }
}
