/**
 * The Nagios plugin conventions Steward's check endpoint speaks: threshold ranges as the Nagios plugin guidelines
 * define them, the four states with their exit codes, and the one-line status with performance data. Pure values
 * and rules; no I/O.
 */
package io.steward.core.nagios;
