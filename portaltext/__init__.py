"""The pure text layer: functions from portal text to facts (clean text, dates, the meeting verdict,
meeting records). crawler/, store/ and feeds/ import it; it imports none of them, nor Scrapy nor the
database, so it can be tested, benchmarked and reused on text alone."""
