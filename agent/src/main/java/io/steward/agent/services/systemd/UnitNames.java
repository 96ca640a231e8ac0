package io.steward.agent.services.systemd;

import io.steward.core.services.ServiceState;
import java.util.Set;

/** How config names ("nginx") become systemd unit names ("nginx.service") and back to what the dashboard shows. */
final class UnitNames {
    private static final String SERVICE = ".service";
    private static final Set<String> TYPES = Set.of("service", "socket", "device", "mount", "automount", "swap",
            "target", "path", "timer", "slice", "scope");

    private UnitNames() {}

    /**
     * Whether {@code name} may be handed to systemctl as an argument: the shared service-name pattern, and no
     * leading '-' or '.', which systemctl would read as an option or reject as a name.
     */
    static boolean isValid(String name) {
        return name != null && ServiceState.NAME.matcher(name).matches()
                && !name.startsWith("-") && !name.startsWith(".");
    }

    /**
     * {@code name} with ".service" appended unless it already ends in a unit type. Only known types count as a
     * suffix, so "php8.2-fpm" becomes "php8.2-fpm.service" rather than a unit of type "2-fpm".
     */
    static String unit(String name) {
        int dot = name.lastIndexOf('.');
        boolean typed = dot > 0 && TYPES.contains(name.substring(dot + 1));
        return typed ? name : name + SERVICE;
    }

    /** The unit without ".service" (the common case reads better); other types keep their suffix. */
    static String displayName(String unit) {
        return unit.endsWith(SERVICE) && unit.length() > SERVICE.length()
                ? unit.substring(0, unit.length() - SERVICE.length())
                : unit;
    }
}
