"""Follow-ups that change the current code instead of rewriting it: the edit-block format and
its parser (format.py), applying blocks (apply.py), elided code (elision.py), what an answer
makes of the files (resolve.py), the re-asks around it (follow_up.py), what the model is told
(prompts.py), and the diff the code tab shows (diff.py)."""
