from bench import digests

if __name__ == "__main__":
    digests.main()
