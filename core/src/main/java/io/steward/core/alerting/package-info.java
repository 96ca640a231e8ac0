/**
 * Alert rules and their evaluation as pure functions: which rule applies to a server's series (the most specific
 * scope wins), and how one alert moves inactive → pending → firing → resolved as values arrive ({@code for}
 * duration, hysteresis through a recovery value). No Pekko, no I/O: a server's entity owns the state and persists
 * the transitions this package computes.
 */
package io.steward.core.alerting;
