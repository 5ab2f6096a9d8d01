/**
 * JMH micro-benchmarks of lpl's hot paths: the method objective on a batch of logits (the LPL inner
 * loop and its references) and the input pipeline's batch assembly from bytes. They are built into
 * {@code lpl-jmh/target/benchmarks.jar} and run with {@code java -jar}; the Maven build never runs
 * them.
 */
package dev.lpl.jmh;
