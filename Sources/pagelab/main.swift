print("pagelab")
