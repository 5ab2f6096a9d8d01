/**
 * Networks: a {@link dev.lpl.api.model.ClassifierBlock} exposes its feature extractor and its
 * classifier separately (ISDA needs the penultimate features and the classifier weights), and a
 * {@link dev.lpl.api.model.ModelFactory} builds one for a given input shape, class count and head.
 */
package dev.lpl.api.model;
