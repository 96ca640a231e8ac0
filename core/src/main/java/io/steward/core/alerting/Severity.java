package io.steward.core.alerting;

/** How bad a firing alert is; routes notifications and orders the alert list. */
public enum Severity {
    WARNING,
    CRITICAL
}
