/**
 * Cochleagrams as images (Java2D and ImageIO only).
 *
 * <p>Every parameter and return value is non-null unless its documentation says otherwise.
 */
package io.github.audiosetdl.examples.render;
