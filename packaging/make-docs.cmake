# cmake -P script: writes the man page (the exporter's --help as a roff page) and
# changelog.Debian.gz into OUT_DIR, both compressed as Debian policy asks (gzip -9n).
# Inputs: EXPORTER, OUT_DIR, PACKAGE, VERSION, MAINTAINER, DATE.
execute_process(COMMAND ${EXPORTER} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXPORTER} --help failed (${rc})")
endif()
execute_process(COMMAND ${EXPORTER} --version OUTPUT_VARIABLE version_line
                OUTPUT_STRIP_TRAILING_WHITESPACE)

# roff: a backslash is \e, a minus in an option is \- (so it copies as ASCII), a line may not start
# with . or ' (a request).
string(REPLACE "\\" "\\e" help "${help}")
string(REPLACE "-" "\\-" help "${help}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
file(WRITE ${OUT_DIR}/tencentcloud_org_exporter.1
  ".TH TENCENTCLOUD_ORG_EXPORTER 1 \"\" \"${VERSION}\" \"User Commands\"\n"
  ".SH NAME\n"
  "tencentcloud_org_exporter \\- Prometheus exporter for Tencent Cloud Organization\n"
  ".SH SYNOPSIS\n"
  ".B tencentcloud_org_exporter\n"
  "[\\fIflags\\fR]\n"
  ".SH DESCRIPTION\n"
  "The text below is the output of \\fBtencentcloud_org_exporter \\-\\-help\\fR.\n"
  ".PP\n"
  ".nf\n"
  "${help}"
  ".fi\n"
  ".SH FILES\n"
  ".TP\n"
  ".I /etc/default/tencentcloud-org-exporter\n"
  "ARGS, the flags the systemd service starts the exporter with.\n"
  ".TP\n"
  ".I /etc/tencentcloud-org-exporter/credentials\n"
  "INI credentials file (root:tencentcloud-org-exporter, mode 0640); the service starts only once it exists.\n"
  ".TP\n"
  ".I /usr/share/tencentcloud-org-exporter/\n"
  "Prometheus alert rules and Grafana dashboards.\n"
  ".SH VERSION\n"
  "${version_line}\n")

file(WRITE ${OUT_DIR}/changelog.Debian
  "${PACKAGE} (${VERSION}) unstable; urgency=medium\n\n"
  "  * Built by CPack from the CMake project; see the upstream git history.\n\n"
  " -- ${MAINTAINER}  ${DATE}\n")

foreach(f tencentcloud_org_exporter.1 changelog.Debian)
  execute_process(COMMAND gzip -9nf ${f} WORKING_DIRECTORY ${OUT_DIR} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${OUT_DIR}/${f} failed")
  endif()
endforeach()
