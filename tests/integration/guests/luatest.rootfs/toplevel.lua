return "toplevel module from ./?.lua"
