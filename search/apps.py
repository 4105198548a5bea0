from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        # The content apps tell llmprep.indexing when searchable content changes, and rank
        # their own text filters through it; this app answers both (see llmprep/indexing.py).
        from llmprep import indexing
        from search import indexer, selectors

        indexing.register(indexer.on_content_changed)
        indexing.register_ranker("question", selectors.question_ranker)
        indexing.register_ranker("job", selectors.job_ranker)
