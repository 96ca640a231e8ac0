package io.steward.agent;

/** The version this agent reports in its hello: the jar manifest's, or "dev" when run from classes. */
public final class AgentVersion {
    private AgentVersion() {}

    public static String current() {
        String version = AgentVersion.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "dev" : version;
    }
}
