typedef int synfin_placeholder_t; /* replaced by the engine work */
