/** Implementation details of dev.hfr.compile: CDN mapping, Google Fonts, CSS and HTML reference scanning, variables. */
package dev.hfr.compile.internal;
