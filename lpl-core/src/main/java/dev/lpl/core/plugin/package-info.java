/**
 * Plugin discovery and wiring: {@link java.util.ServiceLoader} finds every {@link
 * dev.lpl.api.LplPlugin} on the class path and in plugin directories; a Guice module binds each
 * factory under its name in one {@code MapBinder} per extension point (Apache Druid's PolyBind
 * pattern); the configuration's {@code type} selects one.
 */
package dev.lpl.core.plugin;
