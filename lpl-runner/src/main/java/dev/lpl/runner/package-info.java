/**
 * The {@code lpl} command line (picocli): {@code train}, {@code list}, {@code loss}. User errors
 * print one line and exit with status 2; {@code --debug} adds the stack trace.
 */
package dev.lpl.runner;
