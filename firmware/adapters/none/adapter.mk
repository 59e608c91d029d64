# No library: the empty image, baseline for a library's marginal flash.
LIB_SRCS :=
LIB_CFLAGS :=
