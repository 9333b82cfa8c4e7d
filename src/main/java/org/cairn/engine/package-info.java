// SPDX-License-Identifier: Apache-2.0
/**
 * The isolation engine: turns a template's directory tree into a running, isolated Virtual Environment.
 * A plain Java library with no Spring and no database; {@link org.cairn.engine.VeEngine} is its one facade.
 * It keeps its own truth on disk under its root and reads the live truth from the kernel.
 */
package org.cairn.engine;
