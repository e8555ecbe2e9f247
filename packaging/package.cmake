# The Debian package of the exporter (issue 16), built by CPack: `cmake --build build --target package`.
# Included from the top-level CMakeLists.txt so that the version is the project's, the one that
# exporter/CMakeLists.txt compiles into --version and tencentcloud_org_exporter_build_info.
#
# Only the "exporter" install component goes into the package (CPACK_INSTALL_CMAKE_PROJECTS), so an
# install() rule some other target may gain later (tests, simulator, benchmarks) never leaks in.

set(TCORG_DEB_NAME tencentcloud-org-exporter)
set(TCORG_DEB_MAINTAINER "tencentcloud_org_exporter maintainers <maintainers@users.noreply.r-seed-63580e1b.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(TCORG_DEB_REVISION 1 CACHE STRING "Debian revision of the package (the part after the dash)")
set(tcorg_deb_dir ${CMAKE_CURRENT_LIST_DIR})
set(tcorg_deb_gen ${CMAKE_BINARY_DIR}/packaging)
set(tcorg_doc share/doc/${TCORG_DEB_NAME})

# The man page is the --help text of the binary just built, so it cannot drift from the flags;
# changelog.Debian.gz is dated by the last commit so two builds of one commit are identical.
execute_process(COMMAND git log -1 --format=%cD WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                OUTPUT_VARIABLE tcorg_deb_date OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT tcorg_deb_date)
  set(tcorg_deb_date "Thu, 01 Jan 1970 00:00:00 +0000")
endif()
file(MAKE_DIRECTORY ${tcorg_deb_gen})
set(tcorg_man ${tcorg_deb_gen}/tencentcloud_org_exporter.1.gz)
set(tcorg_changelog ${tcorg_deb_gen}/changelog.Debian.gz)
add_custom_command(
  OUTPUT ${tcorg_man} ${tcorg_changelog}
  COMMAND ${CMAKE_COMMAND} -DEXPORTER=$<TARGET_FILE:tencentcloud_org_exporter> -DOUT_DIR=${tcorg_deb_gen}
          -DPACKAGE=${TCORG_DEB_NAME} -DVERSION=${CMAKE_PROJECT_VERSION}-${TCORG_DEB_REVISION}
          "-DMAINTAINER=${TCORG_DEB_MAINTAINER}" "-DDATE=${tcorg_deb_date}"
          -P ${tcorg_deb_dir}/make-docs.cmake
  DEPENDS tencentcloud_org_exporter ${tcorg_deb_dir}/make-docs.cmake
  COMMENT "Debian package docs: man page from --help, changelog.Debian.gz" VERBATIM)
add_custom_target(tcorg-deb-docs ALL DEPENDS ${tcorg_man} ${tcorg_changelog})

set(tcorg_exe GROUP_READ GROUP_EXECUTE OWNER_READ OWNER_WRITE OWNER_EXECUTE WORLD_READ WORLD_EXECUTE)
install(TARGETS tencentcloud_org_exporter RUNTIME DESTINATION bin COMPONENT exporter)
# /lib, not /usr/lib: bookworm packages still ship units there (the /usr-merge moratorium).
install(FILES ${tcorg_deb_dir}/systemd/${TCORG_DEB_NAME}.service
        DESTINATION /lib/systemd/system COMPONENT exporter)
install(FILES ${tcorg_deb_dir}/default/${TCORG_DEB_NAME} DESTINATION /etc/default COMPONENT exporter)
# Empty, for the credentials file and the web config; postinst gives it to root:<group>.
install(DIRECTORY DESTINATION /etc/${TCORG_DEB_NAME} COMPONENT exporter
        DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE)
install(FILES ${CMAKE_SOURCE_DIR}/alerts/tencentcloud-org-exporter.rules.yml
        DESTINATION share/${TCORG_DEB_NAME}/alerts COMPONENT exporter)
install(FILES ${CMAKE_SOURCE_DIR}/dashboards/tencentcloud-org-overview.json
              ${CMAKE_SOURCE_DIR}/dashboards/tencentcloud-org-exporter-health.json
              ${CMAKE_SOURCE_DIR}/dashboards/README.md
        DESTINATION share/${TCORG_DEB_NAME}/dashboards COMPONENT exporter)
install(FILES ${tcorg_man} DESTINATION share/man/man1 COMPONENT exporter)
install(FILES ${tcorg_changelog} ${tcorg_deb_dir}/debian/copyright ${CMAKE_SOURCE_DIR}/README.md
        DESTINATION ${tcorg_doc} COMPONENT exporter)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ${TCORG_DEB_NAME})
set(CPACK_PACKAGE_VERSION ${CMAKE_PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${TCORG_DEB_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Prometheus exporter for Tencent Cloud Organization")
set(CPACK_PACKAGE_DESCRIPTION  # lines under 80 columns (lintian)
    "Watches a Tencent Cloud Organization through its API in the background\n"
    "and serves the last good data to Prometheus: pending member invitations\n"
    "and when they expire, member accounts per organizational unit, and whether\n"
    "the cloud API is failing or throttling. Ships a systemd service, alert\n"
    "rules and Grafana dashboards.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};${CMAKE_PROJECT_NAME};exporter;/")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_NAME ${TCORG_DEB_NAME})
set(CPACK_DEBIAN_PACKAGE_RELEASE ${TCORG_DEB_REVISION})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# adduser for postinst; CA certificates for the HTTPS calls to the cloud.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${tcorg_deb_dir}/debian/postinst ${tcorg_deb_dir}/debian/prerm ${tcorg_deb_dir}/debian/postrm
    ${tcorg_deb_dir}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
