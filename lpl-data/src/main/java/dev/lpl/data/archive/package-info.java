/** Safe reading and extraction of {@code .tar.gz} archives (no entry may escape the destination). */
package dev.lpl.data.archive;
