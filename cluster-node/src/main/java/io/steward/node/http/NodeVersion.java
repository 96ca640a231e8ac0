package io.steward.node.http;

/** The node's version from the jar manifest ("dev" when run from classes). */
public final class NodeVersion {
    private NodeVersion() {}

    public static String current() {
        String version = NodeVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
