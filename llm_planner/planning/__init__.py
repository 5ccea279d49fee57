"""The planner's core: prompt, decoding, LLM backends, model store. Imports the plan vocabulary, never rclpy."""
