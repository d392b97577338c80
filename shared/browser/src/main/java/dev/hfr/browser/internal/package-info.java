/** Implementation details of dev.hfr.browser: the browser process, the loopback site server, the page runtime. */
package dev.hfr.browser.internal;
