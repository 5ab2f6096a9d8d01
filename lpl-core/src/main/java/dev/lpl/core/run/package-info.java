/**
 * A run from configuration to results: validation of every component before work starts, the run
 * directory ({@code resolved.conf}, {@code manifest.json}, {@code metrics.jsonl}, {@code
 * summary.json}), provenance, and the engine start-up.
 */
package dev.lpl.core.run;
