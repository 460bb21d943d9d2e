print("newsmill")
