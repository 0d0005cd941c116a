"""The example book (packaged as csm.examples): real export formats, read by `csm demo`."""
