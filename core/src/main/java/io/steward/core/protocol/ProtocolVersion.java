package io.steward.core.protocol;

/** Protocol versions the node and agent understand; checked at the handshake before anything else. */
public final class ProtocolVersion {
    /** The version this build speaks. Bump on any incompatible change to the wire records. */
    public static final int CURRENT = 1;
    /** The oldest agent protocol a node still accepts. */
    public static final int MINIMUM_SUPPORTED = 1;

    private ProtocolVersion() {}

    public static boolean isSupported(int version) {
        return version >= MINIMUM_SUPPORTED && version <= CURRENT;
    }
}
