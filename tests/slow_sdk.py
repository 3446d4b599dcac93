"""A stand-in for an SDK that is slow to import (the anthropic SDK takes seconds: thousands of
pydantic models). Importing it takes SLOW_SDK_IMPORT_S seconds."""

import os
import time

time.sleep(float(os.environ.get("SLOW_SDK_IMPORT_S", "1.5")))
