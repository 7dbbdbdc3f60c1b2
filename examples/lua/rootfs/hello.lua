print("hello from lua", _VERSION, ...)
