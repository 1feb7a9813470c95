// Debian's cmark-gfm and its GFM extensions (tables, strikethrough, autolinks).
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
