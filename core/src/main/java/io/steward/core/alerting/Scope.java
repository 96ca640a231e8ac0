package io.steward.core.alerting;

import static java.util.Objects.requireNonNull;

/**
 * Which servers a rule covers. When several rules of the same series and severity cover a server, the most specific
 * scope wins: one server, then a tag, then a group, then the global default.
 */
public sealed interface Scope {

    /** Higher wins. */
    int specificity();

    boolean covers(ServerFacts server);

    record Global() implements Scope {
        @Override
        public int specificity() {
            return 0;
        }

        @Override
        public boolean covers(ServerFacts server) {
            return true;
        }

        @Override
        public String toString() {
            return "global";
        }
    }

    record Group(String name) implements Scope {
        public Group {
            requireNonNull(name, "name is null");
        }

        @Override
        public int specificity() {
            return 1;
        }

        @Override
        public boolean covers(ServerFacts server) {
            return name.equals(server.group());
        }

        @Override
        public String toString() {
            return "group " + name;
        }
    }

    record Tag(String name) implements Scope {
        public Tag {
            requireNonNull(name, "name is null");
        }

        @Override
        public int specificity() {
            return 2;
        }

        @Override
        public boolean covers(ServerFacts server) {
            return server.tags().contains(name);
        }

        @Override
        public String toString() {
            return "tag " + name;
        }
    }

    record Server(String serverId) implements Scope {
        public Server {
            requireNonNull(serverId, "serverId is null");
        }

        @Override
        public int specificity() {
            return 3;
        }

        @Override
        public boolean covers(ServerFacts server) {
            return serverId.equals(server.id());
        }

        @Override
        public String toString() {
            return "server " + serverId;
        }
    }
}
