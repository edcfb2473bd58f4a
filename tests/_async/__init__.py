# source-of-truth: async
