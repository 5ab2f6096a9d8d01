/**
 * A third-party lpl plugin, and the worked example of writing one (README, "Writing a plugin").
 *
 * <p>It is an ordinary jar built against {@code dev.lpl:lpl-api} alone (scope {@code provided}: the
 * runner that loads it already contains the API and DJL) and is made of three things:
 *
 * <ol>
 *   <li>one {@link dev.lpl.api.LplPlugin}, {@link com.example.lpl.ExamplePlugin}, registered for
 *       {@link java.util.ServiceLoader} in {@code META-INF/services/dev.lpl.api.LplPlugin};
 *   <li>its factories, each with a unique kebab-case name that a configuration's {@code type}
 *       selects — here the method {@code additive-margin}, {@link
 *       com.example.lpl.AdditiveMarginPerturbation};
 *   <li>a {@code reference.conf} declaring the default of every option under the block that selects
 *       the factory ({@code lpl.method.additive-margin { margin = 0.35 }}), so that the strict
 *       configuration check accepts {@code --set method.additive-margin.margin=0.2} and suggests the
 *       right key for a misspelt one.
 * </ol>
 *
 * <p>Drop the jar into a directory and pass it to the runner: {@code lpl --plugins DIR list} shows
 * the method, and {@code lpl --plugins DIR train --set method.type=additive-margin} trains with it
 * ({@code LPL_PLUGINS=DIR} does the same as {@code --plugins DIR}). The package is deliberately not
 * under {@code dev.lpl}: nothing here is part of lpl itself.
 */
package com.example.lpl;
