/**
 * The lpl framework core: {@link dev.lpl.core.Bootstrap} discovers plugins, wires them with Guice
 * and gives access to configuration loading and run creation.
 */
package dev.lpl.core;
