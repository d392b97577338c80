/**
 * The shared model of the renderer: render config and its validation, the step events and results,
 * chunk slicing, the plan manifest and its hash, storage keys, limits, and the error codes with the
 * retry table every orchestrator uses.
 */
package dev.hfr.model;
