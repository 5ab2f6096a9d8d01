/**
 * Downloading dataset files: resumable HTTP downloads checked against published MD5s, a progress
 * interface with a line-based default, and a lock for the shared dataset cache.
 */
package dev.lpl.data.download;
