/**
 * Datasets as the framework sees them: images kept as bytes (planar, channel-major) until a batch
 * is assembled, with integer labels, and the factories that load them.
 */
package dev.lpl.api.data;
