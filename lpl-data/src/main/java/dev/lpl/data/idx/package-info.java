/**
 * A reader of IDX files (the format of MNIST and Fashion-MNIST), plain or gzip-compressed, that
 * checks the header against the data and computes each file's SHA-256 while reading it.
 */
package dev.lpl.data.idx;
