/**
 * Strict HOCON configuration: every module's {@code reference.conf} (defaults, under {@code lpl}),
 * an experiment file and {@code --set key=value} overrides on top; an unknown key, a value of the
 * wrong type or an out-of-range value is reported before any work starts.
 */
package dev.lpl.core.config;
