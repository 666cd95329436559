# man/: the manual pages.  The tests that keep them (and README) true to
# the code are in tests/docs/local.mk.

# One section-3 page per public function and per function-like macro
# (cors_request_init, cors_result_init), the overview libcors(3), the policy
# text format libcors-policy(5) and the tool cors-check(1).
dist_man1_MANS = man/cors-check.1
dist_man3_MANS = \
	man/libcors.3 \
	man/cors_builder_add_server_origin.3 \
	man/cors_builder_allow_credentials.3 \
	man/cors_builder_allow_danger.3 \
	man/cors_builder_allow_header.3 \
	man/cors_builder_allow_method.3 \
	man/cors_builder_allow_origin.3 \
	man/cors_builder_allow_private_network.3 \
	man/cors_builder_build.3 \
	man/cors_builder_diagnostic.3 \
	man/cors_builder_diagnostic_count.3 \
	man/cors_builder_error_count.3 \
	man/cors_builder_expose_header.3 \
	man/cors_builder_free.3 \
	man/cors_builder_new.3 \
	man/cors_builder_parse.3 \
	man/cors_builder_parse_file.3 \
	man/cors_builder_set_denied_status.3 \
	man/cors_builder_set_max_age.3 \
	man/cors_builder_set_preflight_status.3 \
	man/cors_block_string.3 \
	man/cors_check_response.3 \
	man/cors_evaluate.3 \
	man/cors_evaluate_headers.3 \
	man/cors_fields_add.3 \
	man/cors_fields_init.3 \
	man/cors_fields_init_sized.3 \
	man/cors_holder_acquire.3 \
	man/cors_holder_free.3 \
	man/cors_holder_new.3 \
	man/cors_holder_release.3 \
	man/cors_holder_replace.3 \
	man/cors_outcome_string.3 \
	man/cors_outcome_token.3 \
	man/cors_policy_free.3 \
	man/cors_policy_to_text.3 \
	man/cors_reason_string.3 \
	man/cors_reason_token.3 \
	man/cors_request_init.3 \
	man/cors_request_init_sized.3 \
	man/cors_response_init.3 \
	man/cors_response_init_sized.3 \
	man/cors_result_describe.3 \
	man/cors_result_init.3 \
	man/cors_result_init_sized.3 \
	man/cors_strerror.3 \
	man/cors_verdict_describe.3 \
	man/cors_verdict_init.3 \
	man/cors_verdict_init_sized.3 \
	man/cors_version.3 \
	man/cors_version_string.3
dist_man5_MANS = man/libcors-policy.5

# The Apache httpd module's page goes with the module (examples/apache).
EXTRA_DIST += man/mod_cors_policy.8
# (the server modules' pages: each installed when its module is built)
dist_man8_MANS =
if BUILD_APACHE_MODULE
dist_man8_MANS += man/mod_cors_policy.8
endif

# The nginx module's page goes with the module (examples/nginx).
EXTRA_DIST += man/ngx_http_cors_policy_module.8
if BUILD_NGINX_MODULE
dist_man8_MANS += man/ngx_http_cors_policy_module.8
endif
