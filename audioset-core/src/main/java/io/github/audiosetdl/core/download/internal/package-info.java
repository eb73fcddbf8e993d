/**
 * Internals of the download stage (process handling, classification, rate limiting); not API.
 * Everything here is non-null unless documented otherwise.
 */
package io.github.audiosetdl.core.download.internal;
